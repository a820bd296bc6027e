from lumbopelvic.cli import run

run()
