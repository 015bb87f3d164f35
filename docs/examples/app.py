import ctypes, gc, xml.dom.minidom
gc.disable()                                    # nothing is collected before the dump

class Node(object):
    def __init__(self, parent=None):
        self.parent, self.children = parent, []
        if parent is not None:
            parent.children.append(self)

class Resource(object):
    def __del__(self):
        pass

def handle_request():
    root = Node()
    for _ in range(3):
        Node(root)                                    # parent <-> children: cycles
    xml.dom.minidom.parseString("<a><b/><c/></a>")   # parentNode <-> childNodes
    r1, r2 = Resource(), Resource()
    r1.peer, r2.peer = r2, r1                         # a cycle with __del__

def buggy_extension():
    a, b = Node(), Node()
    a.children.append(b)
    b.children.append(a)
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(a))   # a C extension forgets a Py_DECREF

for _ in range(10):
    handle_request()
buggy_extension()
