"""What a person sees: the annotated video, the HTML and PDF report, the comparison page, plots,
and the OpenSim exports. Colours, fonts and figure making live in :mod:`.style`.
"""
