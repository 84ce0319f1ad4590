#!/usr/bin/python3
"""render.py TEMPLATE_DIR OUT_DIR NAME...: expands ${VAR} in each template from the environment.

An unknown ${VAR} is an error. A file is rewritten only when its content changes (so the file's
mtime/hash tells whether a running service needs a restart). Prints the names that changed.
"""
import os
import string
import sys

src, dst, names = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(dst, exist_ok=True)
for name in names:
    with open(os.path.join(src, name)) as f:
        try:
            text = string.Template(f.read()).substitute(os.environ)
        except KeyError as e:
            sys.exit("render.py: %s: variable %s is not set" % (name, e))
    out = os.path.join(dst, name)
    old = None
    if os.path.exists(out):
        with open(out) as f:
            old = f.read()
    if old != text:
        tmp = out + ".tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(text)
        os.replace(tmp, out)
        print(name)
