"""Reports of a checked dossier: JSON (with its published schema), HTML, CSV and the terminal.

Each format has its module (``json_report``, ``html_report``, ``csv_report``, ``terminal``); French
wording of ids lives in ``labels`` only.
"""
