"""The rules stage: the official checklist (data in ``preverif/data/rules.json``) applied to a dossier."""
