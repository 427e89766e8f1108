"""The Streamlit dashboard (看板): `xiaoan serve` runs dashboard/app.py.

Pages draw; numbers come from xiaoan.metrics (the definitions of record) and listings from
dashboard/queries.py (named queries with bound parameters). No page holds SQL.
"""
