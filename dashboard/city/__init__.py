"""The city's view over a lake of district snapshots (`xiaoan serve --lake PATH`, issue 17).

dashboard/city_app.py is its entry (the district dashboard, dashboard/app.py, is untouched):
data.py computes the city tables with the roll-up's own engine and SQL (pipelines/city) over the
lake's committed partitions, cached per (commits, as-of, rules); scope.py says which districts a
viewer sees; gate.py lets the viewer in (the users file and login of the district dashboard);
shell.py draws the sidebar and keeps the filters in the URL; views/ holds the pages.
"""

LAKE_ENV = "XIAOAN_LAKE"  # the lake `xiaoan serve --lake` hands to the app (read by data.py)
