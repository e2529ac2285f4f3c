"""Reports: computing, archiving and drawing the periodic report."""
