# json, email, enum (3.4+), dataclasses (3.7+) and pydoc as a small tool uses
# them: documents encoded and decoded with hooks, MIME messages built, parsed
# and generated, Enum and dataclass types made and dropped (a class is a
# cycle: its __mro__, __dict__, descriptors), pydoc rendering a class.
import email.message
import email.parser
import io
import json
import pydoc
import sys

try:
    from email.generator import Generator
except ImportError:
    Generator = None


class Point(object):
    def __init__(self, x, y):
        self.x, self.y = x, y


def encode(o):
    return {"__point__": [o.x, o.y]} if isinstance(o, Point) else None


def decode(d):
    return Point(*d["__point__"]) if "__point__" in d else d


for i in range(20):
    text = json.dumps({"n": i, "pts": [Point(i, j) for j in range(3)]}, default=encode)
    back = json.loads(text, object_hook=decode)

for i in range(5):
    msg = email.message.Message()
    msg["Subject"] = "report %d" % i
    msg["From"] = "a@example.org"
    msg.set_payload("line\n" * 10)
    out = io.StringIO() if sys.version_info[0] >= 3 else io.BytesIO()
    if Generator is not None:
        Generator(out).flatten(msg)
    parsed = email.parser.Parser().parsestr(msg.as_string())

if sys.version_info >= (3, 4):
    import enum
    for i in range(5):
        Color = enum.Enum("Color%d" % i, "RED GREEN BLUE")
        list(Color)
    Color = None

if sys.version_info >= (3, 7):
    import dataclasses
    for i in range(5):
        D = dataclasses.make_dataclass("D%d" % i, [("a", int), ("b", str, dataclasses.field(default="x"))])
        repr(D(1))
    D = None

doc = pydoc.plain(pydoc.render_doc(Point))
