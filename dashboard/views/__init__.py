"""The dashboard pages, run by st.navigation from dashboard/app.py (each file is one page script)."""
