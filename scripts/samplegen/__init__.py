"""preverif's sample generator: synthetic ANTS dossiers (scans, photos, PDFs) with their ground truth.

``spec`` is the contract between the scenario builder (``dossiers``) and the renderers (``documents``);
``people`` draws names and addresses, ``capture`` degrades pages, ``formats`` encodes files.
"""
