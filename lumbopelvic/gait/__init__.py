"""Walking (``--task walk``): steps and their timing from the feet, pelvis and trunk motion per
stride in the planes the view shows, and pelvis-thorax coordination, each with the confidence
measured on rendered walks (``bench/ACCURACY.md``)."""
