# -*- coding: utf-8 -*-
"""pygcsim_dump: dump a running CPython program's heap for pygcsim.

Standard library only; works on CPython 2.7 and 3.6-3.15.

As a module::

    import pygcsim_dump
    pygcsim_dump.dump("heap.jsonl.gz")      # gzip when the name ends in .gz

As a command (runs the script as __main__, then dumps its heap when the
script's body has finished, before atexit handlers run)::

    python pygcsim_dump.py OUT.jsonl[.gz] -- script.py [args...]

The file holds JSON lines: one header line, one line per object, one end
line. The format is documented in docs/dump-format.md of the pygcsim
repository; `pygcsim load OUT.jsonl` and `Heap.fromDump()` read it.

What the dump holds: every object the collector tracks (gc.get_objects(),
per generation), the frozen ones (gc.freeze) and the untracked GC-capable
objects they refer to, each with its type name, sys.getsizeof, its reference
count (minus the dumper's own references), generation, whether its type has
__del__ (tp_finalize; 2.7: tp_del), and its references in gc.get_referents
order (tp_traverse order). References to objects that are not GC-capable
(ints, strs, ...: "atoms") are summarised per object (count and bytes).

The dumper disables the collector while it runs and restores it after,
creates no reference cycles, and leaves its own frames out of the dump.

It never runs the program's code: no Python-level __sizeof__, __eq__,
__hash__, __getattr__, __repr__, __instancecheck__ or metaclass property is
called. Objects are keyed by id(); types are inspected through type's own C
descriptors (_T_FLAGS, _T_MRO, ...); sizes come from C code only (_Sizer);
isinstance() is never applied to a dumped object (a dead weakref.proxy
raises ReferenceError on __class__).
"""

from __future__ import print_function

import gc
import sys
import types
import weakref

__version__ = "1"
FORMAT = "pygcsim-dump"
FORMAT_VERSION = 1

_PY3 = sys.version_info[0] >= 3
_HAVE_GC = 1 << 14       # Py_TPFLAGS_HAVE_GC
_HEAPTYPE = 1 << 9       # Py_TPFLAGS_HEAPTYPE
# A reference count this large marks an immortal object: 3.12+'s immortal
# objects (2**32 - 1, 3 << 30, ...) and 3.11's deep-frozen ones (999999999).
_IMMORTAL = 999000000
_GLOBALS_ID = id(globals())  # frames running this module's code are the dumper's own

# type's own C-level getters: a metaclass cannot override them with Python code
_T_FLAGS = type.__dict__["__flags__"].__get__
_T_MRO = type.__dict__["__mro__"].__get__
_T_DICT = type.__dict__["__dict__"].__get__
_T_NAME = type.__dict__["__name__"].__get__
_T_QUALNAME = type.__dict__["__qualname__"].__get__ if "__qualname__" in type.__dict__ else None
_T_MODULE = type.__dict__["__module__"].__get__
_T_BASICSIZE = type.__dict__["__basicsize__"].__get__
_C_METHOD = type(object.__dict__["__sizeof__"])   # method_descriptor: a C function
_MODULE_DICT = types.ModuleType.__dict__["__dict__"].__get__
_STR = str

# CPython gh-122695 (3.12.0-3.12.5, 3.13 before rc2): the _asyncio module's
# tp_traverse visits its free list of future iterators, so gc.get_referents
# hands out freed objects, and dropping them corrupts the free list (the next
# gc.collect() can hang). On those versions the module's referents are taken
# as its __dict__ alone, without calling its tp_traverse.
_V = sys.version_info
_ASYNCIO_FREELIST_BUG = ((3, 12, 0) <= tuple(_V[:3]) < (3, 12, 6)
                         or (tuple(_V[:2]) == (3, 13) and _V[3] != "final"
                             and (_V[3], _V[4]) < ("candidate", 2)))


# -- small helpers (none keeps a reference to a dumped object after it returns) --

def _refcounts(objs, getrefcount=sys.getrefcount):
    """sys.getrefcount of each object. The same code measures the calibration
    probe, so the dumper's own references (the list slot, the loop variable,
    the argument) are one constant, whatever the interpreter borrows."""
    out = []
    append = out.append
    for o in objs:
        append(getrefcount(o))
    return out


def _bias():
    """How much _refcounts adds to a reference count: measured on a list that
    exactly one other list refers to."""
    holder = [[]]
    return _refcounts([holder[0]])[0] - 1


def _type_name(t):
    """Module-qualified name of a class; builtins unqualified ("list").
    Read with type's own getters (a metaclass's properties never run)."""
    name = None
    if _T_QUALNAME is not None:
        try:
            name = _T_QUALNAME(t)
        except Exception:
            name = None
    if type(name) is not _STR:
        name = _T_NAME(t)
    try:
        mod = _T_MODULE(t)
    except Exception:
        mod = None
    if type(mod) is not _STR or mod in ("builtins", "__builtin__"):
        return name
    return mod + "." + name


def _is_gc(o):
    """PyObject_IS_GC: the type has Py_TPFLAGS_HAVE_GC and (for type objects) is a heap type.
    type(o) only: isinstance() would ask o for __class__ (a dead proxy raises)."""
    t = type(o)
    if not _T_FLAGS(t) & _HAVE_GC:
        return False
    if issubclass(t, type):
        return bool(_T_FLAGS(o) & _HEAPTYPE)
    return True


def _class_dict(c):
    """A class's own namespace, without running a metaclass's code (2.7's
    classic classes, which can sit in a new-style class's __mro__, have a C-level __dict__)."""
    try:
        d = _T_DICT(c)
    except TypeError:
        d = c.__dict__
    return d if d is not None else {}   # a type not yet readied has no namespace


def _mro(t):
    """The type's MRO (a type not yet readied has none: itself)."""
    try:
        m = _T_MRO(t)
    except Exception:
        m = None
    return m if type(m) is tuple else (t,)


def _mro_has_del(t):
    for c in _mro(t):
        try:
            if "__del__" in _class_dict(c):
                return True
        except Exception:
            pass
    return False


class _Sizer(object):
    """Object sizes from C code only. sys.getsizeof calls the type's
    __sizeof__, which a class may define in Python (unittest.mock's MagicMock
    does, and builds child mocks when it runs): sys.getsizeof is used only
    when the __sizeof__ the type's MRO resolves to is a C method; otherwise
    the size is object.__sizeof__ (tp_basicsize + tp_itemsize * ob_size, in C)
    plus what sys.getsizeof adds: the GC header (measured on an empty list:
    no class is made, which would leave a cycle behind) and, 3.11+, the
    pre-header of managed __dict__ (3.12+: and __weakref__) slots."""

    def __init__(self):
        self.c_level = {}       # id(type) -> whether its __sizeof__ is C's
        probe = []
        self.gc_head = sys.getsizeof(probe) - probe.__sizeof__()
        probe = None
        ptr = 8 if sys.maxsize > 2 ** 32 else 4
        self.pre_mask = 0
        if sys.version_info >= (3, 12):
            self.pre_mask = (1 << 4) | (1 << 3)    # Py_TPFLAGS_MANAGED_DICT | MANAGED_WEAKREF
        elif sys.version_info >= (3, 11):
            self.pre_mask = 1 << 4
        self.pre = 2 * ptr

    def __call__(self, o):
        t = type(o)
        k = id(t)
        c = self.c_level.get(k)
        if c is None:
            c = False
            for b in _mro(t):
                try:
                    d = _class_dict(b)
                except Exception:
                    continue
                if "__sizeof__" in d:
                    c = type(d["__sizeof__"]) is _C_METHOD
                    break
            self.c_level[k] = c
        if c:
            try:
                return sys.getsizeof(o)
            except Exception:
                pass
        try:
            n = object.__sizeof__(o)
        except Exception:
            n = _T_BASICSIZE(t)
        f = _T_FLAGS(t)
        if f & _HAVE_GC:
            n += self.gc_head
        if f & self.pre_mask:
            n += self.pre
        return n


def _referents(o, get_referents=gc.get_referents):
    """gc.get_referents(o), except for the _asyncio module on the versions of
    gh-122695 (its tp_traverse hands out its free list): its __dict__ only."""
    if _ASYNCIO_FREELIST_BUG and type(o) is types.ModuleType:
        d = _MODULE_DICT(o)
        name = d.get("__name__") if type(d) is dict else None
        if type(name) is _STR and name == "_asyncio":
            return [d]
    return get_referents(o)


def _class_has_del_27(cls):
    """An old-style class (2.7) or any of its bases defines __del__."""
    todo = [cls]
    while todo:
        c = todo.pop()
        if "__del__" in _class_dict(c):
            return True
        todo.extend(c.__bases__)
    return False


class _Mem(object):
    """Reads the interpreter's memory with ctypes (2.7-3.8: generations and
    the FINALIZED bit, which the gc module does not expose there)."""

    def __init__(self):
        import ctypes
        self.ctypes = ctypes
        self.p = ctypes.sizeof(ctypes.c_void_p)

    def word(self, addr):
        return self.ctypes.c_void_p.from_address(addr).value or 0

    def gc_head_size(self, objs):
        """sizeof(PyGC_Head): the size at which consecutive objects' gc_prev links agree."""
        n = min(len(objs), 64)
        if n < 2:
            return None
        for s in (2 * self.p, 3 * self.p, 4 * self.p):
            good = 0
            for k in range(1, n):
                if (self.word(id(objs[k]) - s + self.p) & ~3) == id(objs[k - 1]) - s:
                    good += 1
            if good >= (n - 1) // 2 + 1:
                return s
        return None


def _generations_ctypes(objs):
    """Generation of each object of gc.get_objects() (which lists generation 0,
    then 1, then 2), read from the gc lists: 2.7-3.7. None when unsure."""
    try:
        mem = _Mem()
        s = mem.gc_head_size(objs)
        if s is None:
            return None
        # sizeof(struct gc_generation) = PyGC_Head + two ints, padded to the
        # union's alignment (8 or 16 bytes, depending on how CPython was built)
        for stride in sorted(set([(s + 8 + 7) // 8 * 8, (s + 8 + 15) // 16 * 16])):
            gens = _generations_with(objs, mem, s, stride)
            if gens is not None:
                return gens
        return None
    except Exception:
        return None


def _generations_with(objs, mem, s, stride):
    ctypes = mem.ctypes
    head0 = None
    try:
        head0 = ctypes.c_void_p.in_dll(ctypes.pythonapi, "_PyGC_generation0").value   # 2.7, 3.6
    except Exception:
        try:
            base = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))  # 3.7
        except Exception:
            return None
        for k in range(512):
            a = base + k * mem.p
            if mem.word(a) == a - 3 * stride:    # gc.generation0 follows gc.generations[3]
                head0 = a - 3 * stride
                break
    if not head0:
        return None
    gens = []
    g = None
    prev_head = None
    for o in objs:
        h = id(o) - s
        p = mem.word(h + mem.p)
        if prev_head is None or p != prev_head:
            # the first object of a generation: its gc_prev is the generation's list head
            d = p - head0
            if d % stride or not 0 <= d // stride <= 2 or (g is not None and d // stride <= g):
                return None
            g = d // stride
        gens.append(g)
        prev_head = h
    return gens


def _finalized_ctypes(o, s, mem, minor):
    """The PEP 442 FINALIZED bit (3.6-3.8) from the object's PyGC_Head."""
    h = id(o) - s
    if minor >= 8:
        return bool(mem.word(h + mem.p) & 1)              # _gc_prev bit 0
    return bool(mem.word(h + 2 * mem.p) & 1)              # gc_refs bit 0


def _own_frame(f):
    """A frame running the dumper's code."""
    return id(f.f_globals) == _GLOBALS_ID


def _exclude_own_frames(objs, gens):
    """Leaves out the dumper's own frame objects (2.7-3.10 frames are tracked)."""
    ft = types.FrameType
    keep_o = []
    keep_g = []
    excluded = []
    for k in range(len(objs)):
        o = objs[k]
        if type(o) is ft and _own_frame(o):
            excluded.append(id(o))
        else:
            keep_o.append(o)
            keep_g.append(gens[k])
    o = None
    return keep_o, keep_g, set(excluded)


def _discover(objs, extra, index, excluded, freeze_count):
    """References of every object in gc.get_referents order, as object indices;
    GC-capable objects not yet listed (frozen, untracked) are appended to
    `extra` and visited in turn. Atoms are summarised. Weakrefs are resolved
    from their referents' side (weakref.getweakrefs keeps the list's order)."""
    get_referents = _referents
    is_tracked = gc.is_tracked
    getsizeof = _Sizer()
    getweakrefcount = weakref.getweakrefcount
    getweakrefs = weakref.getweakrefs
    n = len(objs)
    refs = []
    atoms = []
    kinds = []          # for extra objects: "frozen", "unlisted" or "untracked"
    weaklists = {}      # target index -> weakref indices in list order
    atom_seen = set()
    atom_stats = [0, 0, 0]   # references, distinct, bytes (distinct)
    i = 0
    while i < n + len(extra):
        o = objs[i] if i < n else extra[i - n]
        rs = get_referents(o)
        out = []
        ac = 0
        ab = 0
        for r in rs:
            k = id(r)
            j = index.get(k)
            if j is None:
                if k in excluded:
                    continue
                if _is_gc(r):
                    j = n + len(extra)
                    index[k] = j
                    extra.append(r)
                    if is_tracked(r):
                        kinds.append("frozen" if freeze_count else "unlisted")
                    else:
                        kinds.append("untracked")
                else:
                    b = getsizeof(r)
                    ac += 1
                    ab += b
                    atom_stats[0] += 1
                    if k not in atom_seen:
                        atom_seen.add(k)
                        atom_stats[1] += 1
                        atom_stats[2] += b
                    continue
            out.append(j)
        r = None
        rs = None
        refs.append(out)
        atoms.append((ac, ab))
        try:
            wc = getweakrefcount(o)
        except Exception:
            wc = 0
        if wc:
            wl = []
            for w in getweakrefs(o):
                j = index.get(id(w))
                if j is None:
                    j = n + len(extra)
                    index[id(w)] = j
                    extra.append(w)
                    kinds.append("frozen" if is_tracked(w) and freeze_count else
                                 ("unlisted" if is_tracked(w) else "untracked"))
                wl.append(j)
            w = None
            weaklists[i] = wl
        o = None
        i += 1
    return refs, atoms, kinds, weaklists, atom_stats


def _weakref_callback(o, rs_len, mem):
    """Whether weakref object o has a callback."""
    rt = weakref.ReferenceType
    if issubclass(type(o), rt):
        d = rt.__dict__.get("__callback__")
        if d is not None:
            return d.__get__(o) is not None
        if type(o) is rt:
            return rs_len > 0                 # weakref_traverse visits only wr_callback
        if mem is not None:
            return mem.word(id(o) + 3 * mem.p) != 0   # PyWeakReference.wr_callback
        return None
    return rs_len > 0                          # proxies: exact types, traverse = wr_callback


def _inst_attr(o, name):
    """An instance attribute, read without running the program's code and
    without touching __dict__ (3.11+ would materialise a dict for an instance
    that keeps its attributes inline: an object made after the snapshot):
    object.__getattribute__ (C), and only when no class in the MRO defines the
    name (a descriptor there could be Python code). 2.7's classic instances:
    their C-level __dict__. None when absent."""
    t = type(o)
    if not _PY3 and t is types.InstanceType:
        return o.__dict__.get(name)
    for c in _mro(t):
        if name in _class_dict(c):
            return None
    try:
        return object.__getattribute__(o, name)
    except Exception:
        return None


class _Removals(object):
    """What a weakref's callback will do, when the standard library made it
    to remove the weakref from a container once its referent dies: WeakSet
    (_weakrefset: `_remove`), WeakKeyDictionary and WeakValueDictionary
    (weakref: `remove`), and the C ABC caches (_abc: `_destroy`, 3.7+; before,
    abc.py keeps WeakSets). Each is recognised by its code (name and file) or
    C name, and its container found through its `selfref` default (or the
    bound weakref of `_destroy`), with C-level reads only. The result is the
    container's index and the objects whose reference from it goes (the
    weakref, and a dict entry's other half when that is in the dump). A
    container being iterated defers removals (`_pending_removals`): none then."""

    def __init__(self, index):
        import _weakrefset
        self.index = index
        self.ws = _weakrefset.WeakSet
        self.wkd = weakref.WeakKeyDictionary
        self.wvd = weakref.WeakValueDictionary
        self.f_code = types.FunctionType.__dict__["__code__"].__get__ if "__code__" in types.FunctionType.__dict__ else None
        self.f_defaults = types.FunctionType.__dict__["__defaults__"].__get__ if "__defaults__" in types.FunctionType.__dict__ else None
        bt = types.BuiltinFunctionType.__dict__
        self.b_name = bt["__name__"].__get__
        self.b_self = bt["__self__"].__get__
        self.cb_get = weakref.ReferenceType.__dict__["__callback__"].__get__ if "__callback__" in weakref.ReferenceType.__dict__ else None
        self.members = {}     # id(container) -> {id(weakref): [ids dropped with it]}

    def _callbacks(self, w, rs):
        if self.cb_get is not None:
            try:
                cb = self.cb_get(w)
            except Exception:
                cb = None
            return [cb] if cb is not None else []
        return rs                 # 2.7: the weakref's referents hold its callback

    def _container(self, cb):
        """(kind, container) the callback removes its weakref from, or None."""
        t = type(cb)
        if t is types.FunctionType and self.f_code is not None and self.f_defaults is not None:
            code = self.f_code(cb)
            name = code.co_name
            fname = code.co_filename
            if type(fname) is not _STR:
                return None
            base = fname.replace("\\", "/").rsplit("/", 1)[-1]
            if not ((name == "_remove" and base == "_weakrefset.py") or (name == "remove" and base == "weakref.py")):
                return None
            d = self.f_defaults(cb)
            if type(d) is not tuple or not d or type(d[0]) is not weakref.ReferenceType:
                return None
            owner = d[0]()
            if owner is None:
                return None
            ot = type(owner)
            if not _PY3 and ot is types.InstanceType:
                ot = owner.__class__      # 2.7: WeakKey/ValueDictionary are classic classes (UserDict)
            kind = "set" if issubclass(ot, self.ws) else "keys" if issubclass(ot, self.wkd) else "values" if issubclass(ot, self.wvd) else None
            if kind is None:
                return None
            it = _inst_attr(owner, "_iterating")
            data = _inst_attr(owner, "data")
            owner = None
            if type(it) is set and len(it):
                return None       # removals are deferred while it iterates
            want = set if kind == "set" else dict
            return (kind, data) if type(data) is want else None
        if t is types.BuiltinFunctionType:
            try:
                if self.b_name(cb) != "_destroy":
                    return None
                sref = self.b_self(cb)
            except Exception:
                return None
            if type(sref) is not weakref.ReferenceType:
                return None
            target = sref()
            return ("set", target) if type(target) is set else None
        return None

    def of(self, w, rs):
        """[container index, dropped indices...] for weakref w, or None."""
        for cb in self._callbacks(w, rs):
            found = self._container(cb)
            if found is None:
                continue
            kind, data = found
            ci = self.index.get(id(data))
            if ci is None:
                return None
            m = self.members.get(id(data))
            if m is None:
                m = {}
                if kind == "set":
                    for x in data:
                        m[id(x)] = [id(x)]
                elif kind == "keys":
                    for k, v in dict.items(data):
                        m[id(k)] = [id(k), id(v)]
                else:
                    for k, v in dict.items(data):
                        m[id(v)] = [id(k), id(v)]
                k = v = x = None
                self.members[id(data)] = m
            drop = m.get(id(w))
            if drop is None:
                return None
            out = [ci]
            for x in drop:
                j = self.index.get(x)
                if j is not None:
                    out.append(j)
            return out
        return None


def _classes_and_modules(objs, extra):
    """Indices of the class objects and of the module objects."""
    classes = []
    modules = []
    mt = types.ModuleType
    n = len(objs)
    for i in range(n + len(extra)):
        o = objs[i] if i < n else extra[i - n]
        if issubclass(type(o), type):
            classes.append(i)
        elif issubclass(type(o), mt):
            modules.append(i)
    o = None
    return classes, modules


def _describe(objs, extra, gens, kinds, refs, atoms, weaklists, rcs, bias, fin_mode, out, index):
    """Writes one line per object, in file order, with out.write."""
    try:
        removals = _Removals(index)
    except Exception:
        removals = None
    # 3.4-3.10: a suspended generator's (coroutine's, async generator's) frame
    # is an object only it holds; its tp_finalize (close) releases that frame
    frame_of = {}
    if _PY3 and sys.version_info < (3, 11):
        for tn, attr in (("GeneratorType", "gi_frame"), ("CoroutineType", "cr_frame"), ("AsyncGeneratorType", "ag_frame")):
            gt = getattr(types, tn, None)
            if gt is not None and attr in gt.__dict__:
                frame_of[id(gt)] = gt.__dict__[attr].__get__
    wtypes = (weakref.ReferenceType, weakref.ProxyType, weakref.CallableProxyType)
    getsizeof = _Sizer()
    is_finalized = getattr(gc, "is_finalized", None)
    minor = sys.version_info[1] if _PY3 else 0
    mem = None
    s = None
    if fin_mode == "ctypes" or not _PY3:
        try:
            mem = _Mem()
            s = mem.gc_head_size(objs)
        except Exception:
            mem = None
    gen_needs_fin = None
    if not _PY3 and mem is not None:
        try:
            gen_needs_fin = mem.ctypes.pythonapi.PyGen_NeedsFinalizing
            gen_needs_fin.argtypes = [mem.ctypes.py_object]
            gen_needs_fin.restype = mem.ctypes.c_int
        except Exception:
            gen_needs_fin = None
    names = {}
    dels = {}
    n = len(objs)
    wtarget = {}
    for t, wl in weaklists.items():
        for w in wl:
            wtarget[w] = t
    lines = []
    for i in range(n + len(extra)):
        o = objs[i] if i < n else extra[i - n]
        t = type(o)
        tk = id(t)
        name = names.get(tk)
        if name is None:
            try:
                name = _type_name(t)
            except Exception:
                name = "?"
            name = names[tk] = _json_str(name)
        size = getsizeof(o)
        rc = rcs[i] - bias
        if i < n:
            tracked = True
            gen = gens[i]
        else:
            kind = kinds[i - n]
            tracked = kind != "untracked"
            gen = 3 if kind == "frozen" else None
        # has __del__ (tp_finalize; 2.7: tp_del, old-style __del__, generators that need finalizing)
        if _PY3:
            d = dels.get(tk)
            if d is None:
                d = dels[tk] = _mro_has_del(t)
        elif t is types.InstanceType:
            d = _class_has_del_27(o.__class__)          # a classic instance's __class__ is C-level
        elif t is types.GeneratorType:
            d = bool(gen_needs_fin(o)) if gen_needs_fin is not None else False
        else:
            d = dels.get(tk)
            if d is None:
                d = dels[tk] = bool(_T_FLAGS(t) & _HEAPTYPE) and _mro_has_del(t)
        line = '{"i":%d,"addr":%d,"type":%s,"size":%d,"rc":%d,"gen":%s,"tracked":%s,"del":%s,"refs":[%s]' % (
            i, id(o), name, size, rc, "null" if gen is None else "%d" % gen, "true" if tracked else "false",
            "true" if d else "false", ",".join(["%d" % r for r in refs[i]]))
        if rc >= _IMMORTAL:
            line += ',"immortal":true'
        if d and tracked:
            if is_finalized is not None:
                if is_finalized(o):
                    line += ',"finalized":true'
            elif mem is not None and s is not None and fin_mode == "ctypes":
                if _finalized_ctypes(o, s, mem, minor):
                    line += ',"finalized":true'
        a = atoms[i]
        if a[0]:
            line += ',"atoms":[%d,%d]' % a
        if issubclass(t, wtypes):
            tg = wtarget.get(i)
            cb = _weakref_callback(o, len(refs[i]) + a[0], mem)
            rm = None
            if cb and removals is not None:
                try:
                    rm = removals.of(o, [objs[j] if j < n else extra[j - n] for j in refs[i]])
                except Exception:
                    rm = None
            line += ',"wr":{"target":%s,"callback":%s%s}' % (
                "null" if tg is None else "%d" % tg, "null" if cb is None else ("true" if cb else "false"),
                "" if rm is None else ',"removes":[%s]' % ",".join(["%d" % j for j in rm]))
        fget = frame_of.get(tk)
        if fget is not None and d and tracked:
            try:
                fr = fget(o)
            except Exception:
                fr = None
            j = index.get(id(fr)) if fr is not None else None
            fr = None
            if j is not None:
                line += ',"fin_drops":[%d]' % j
        wl = weaklists.get(i)
        if wl:
            line += ',"weakrefs":[%s]' % ",".join(["%d" % w for w in wl])
        lines.append(line + "}")
        if len(lines) >= 4096:
            out.write(("\n".join(lines) + "\n").encode("ascii"))
            lines = []
        o = None
    if lines:
        out.write(("\n".join(lines) + "\n").encode("ascii"))


def _roots(index, frames_tracked):
    """Objects the interpreter itself refers to (for pygcsim's `leaks: "suspect"`):
    sys.modules, gc.garbage, the live frames of every thread (2.7-3.10, where
    frames are objects in the dump) or their local variables (3.11+). The
    caller adds every class and module object: C code holds those in statics."""
    out = {"sys.modules": [], "gc.garbage": [], "frames": [], "frame_locals": []}
    for key, obj in (("sys.modules", sys.modules), ("gc.garbage", gc.garbage)):
        j = index.get(id(obj))
        if j is not None:
            out[key].append(j)
    try:
        current = sys._current_frames()
    except Exception:
        current = {}
    seen = set()
    for f in list(current.values()):
        while f is not None:
            if id(f) in seen:
                break
            seen.add(id(f))
            if not _own_frame(f):
                if frames_tracked:
                    j = index.get(id(f))
                    if j is not None:
                        out["frames"].append(j)
                else:
                    # only a real dict or 3.13's FrameLocalsProxy: a class body's
                    # namespace may be any mapping (__prepare__), whose values() is Python code
                    try:
                        loc = f.f_locals
                        values = list(loc.values()) if type(loc) is dict or type(loc).__name__ == "FrameLocalsProxy" else []
                    except Exception:
                        values = []
                    loc = None
                    for v in values:
                        j = index.get(id(v))
                        if j is not None and j not in out["frame_locals"]:
                            out["frame_locals"].append(j)
                    values = None
                    v = None
            f = f.f_back
    current = None
    return out


def _dump(path, exclude, enabled, count):
    """Measures the heap and writes the dump. Returns the number of objects."""
    # The snapshot is taken here, in a frame that lives until the dump is
    # written: 2.7 and 3.6 track executing frames, and a helper's frame that
    # returned would stay in the snapshot, holding the list (a cycle).
    if sys.version_info >= (3, 8):
        # one list per generation first: a list made before gc.get_objects(g)
        # runs would be in generation 0's listing
        lists = (gc.get_objects(0), gc.get_objects(1), gc.get_objects(2))
        objs = []
        gens = []
        seen = set()
        for g in range(3):
            for o in lists[g]:
                if id(o) not in seen:
                    seen.add(id(o))
                    objs.append(o)
                    gens.append(g)
            o = None
        seen = None
        lists = None
        gen_mode = "get_objects"
    else:
        objs = gc.get_objects()
        gens = _generations_ctypes(objs)
        gen_mode = "ctypes"
        if gens is None:
            gens = [None] * len(objs)
            gen_mode = "unknown"
    objs, gens, excluded = _exclude_own_frames(objs, gens)
    for x in exclude:
        excluded.add(id(x))
    x = None
    if excluded:
        keep_o = []
        keep_g = []
        for k in range(len(objs)):
            if id(objs[k]) not in excluded:
                keep_o.append(objs[k])
                keep_g.append(gens[k])
        objs = keep_o
        gens = keep_g
        keep_o = None
    freeze_count = gc.get_freeze_count() if hasattr(gc, "get_freeze_count") else None
    index = {}
    for k in range(len(objs)):
        index[id(objs[k])] = k
    extra = []
    refs, atoms, kinds, weaklists, atom_stats = _discover(objs, extra, index, excluded, freeze_count)
    # reference counts: the only references the dumper holds now are objs' and extra's slots
    bias = _bias()
    rcs = _refcounts(objs) + _refcounts(extra)
    if hasattr(gc, "is_finalized"):
        fin_mode = "is_finalized"
    elif _PY3 and sys.version_info[1] >= 6:
        fin_mode = "ctypes"
    else:
        fin_mode = "none" if not _PY3 else "unknown"
    # everything is measured: imports and new objects no longer change the dump
    roots = _roots(index, sys.version_info < (3, 11))
    roots["classes"], roots["modules"] = _classes_and_modules(objs, extra)
    nrefs = 0
    for r in refs:
        nrefs += len(r)
    nobj = len(objs) + len(extra)
    counts = {"objects": nobj, "tracked": len(objs), "frozen": kinds.count("frozen"),
              "unlisted": kinds.count("unlisted"), "untracked": kinds.count("untracked"),
              "excluded": len(excluded)}
    header = _header(roots, counts, gen_mode, fin_mode, bias, _gc_state(enabled, count))
    # JSON by hand: importing json (re, ...) would leave cyclic garbage behind
    # in a program that had not imported it, and 2.7's pure-Python encoder
    # builds its helpers as closures in a reference cycle
    dumps = _json
    f = _Writer(path)
    try:
        f.write((dumps(header) + "\n").encode("ascii"))
        _describe(objs, extra, gens, kinds, refs, atoms, weaklists, rcs, bias, fin_mode, f, index)
        end = {"end": True, "objects": nobj, "references": nrefs,
               "atoms": {"references": atom_stats[0], "distinct": atom_stats[1], "bytes": atom_stats[2]}}
        f.write((dumps(end) + "\n").encode("ascii"))
    finally:
        f.close()
    objs = None
    extra = None
    index = None
    return nobj


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


try:
    _TEXT = unicode  # noqa: F821 (2.7)
except NameError:
    _TEXT = str


def _json_str(s):
    """A JSON string literal in ASCII."""
    if not isinstance(s, _TEXT):
        s = s.decode("utf-8", "replace") if isinstance(s, bytes) else _TEXT(s)
    out = []
    for ch in s:
        o = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            o -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)))
    return str('"' + "".join(out) + '"')


def _json(v):
    """Compact JSON of None, bools, ints, floats, strs, lists, tuples and dicts, in ASCII."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    t = type(v)
    if t is int or (not _PY3 and t is long):  # noqa: F821 (2.7)
        return "%d" % v
    if t is float:
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else "null"
    if t is list or t is tuple:
        return "[" + ",".join([_json(x) for x in v]) + "]"
    if t is dict:
        return "{" + ",".join([_json_str(k) + ":" + _json(x) for k, x in v.items()]) + "}"
    return _json_str(v)


def _header(roots, counts, gen_mode, fin_mode, bias, gc_state):
    import os
    import time
    v = sys.version_info
    impl = getattr(sys, "implementation", None)
    return {
        "format": FORMAT, "version": FORMAT_VERSION,
        "python": "%d.%d.%d" % (v[0], v[1], v[2]),
        "implementation": impl.name if impl is not None else "cpython",
        "python_build": sys.version.replace("\n", " "),
        "pointer_size": 8 if sys.maxsize > 2 ** 32 else 4,
        "platform": sys.platform,
        "pid": os.getpid(),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "argv": [str(a) for a in sys.argv],
        "gc": gc_state,
        "generations": gen_mode,
        "finalized": fin_mode,
        "refcount_bias": bias,
        "counts": counts,
        "roots": roots,
    }


def _gc_state(enabled, count):
    st = {
        "enabled": enabled,
        "count": count,
        "threshold": list(gc.get_threshold()),
        "debug": gc.get_debug(),
        "freeze_count": gc.get_freeze_count() if hasattr(gc, "get_freeze_count") else None,
        "garbage": len(gc.garbage),
        "stats": gc.get_stats() if hasattr(gc, "get_stats") else None,
    }
    return st


class _Writer(object):
    """Writes bytes to a file, gzip-compressed when the name ends in .gz. zlib
    directly: 3.12's gzip.GzipFile makes a reference cycle (with its write
    buffer), and the dumper must leave no garbage behind."""

    def __init__(self, path):
        import zlib
        self.f = open(path, "wb")
        self.z = zlib.compressobj(6, zlib.DEFLATED, 31) if path.endswith(".gz") else None

    def write(self, data):
        if self.z is not None:
            data = self.z.compress(data)
        if data:
            self.f.write(data)

    def close(self):
        try:
            if self.z is not None:
                self.f.write(self.z.flush())
        finally:
            self.f.close()
            self.z = None
            self.f = None


def dump(path, exclude=()):
    """Writes the current heap to `path` (gzip when it ends in .gz). `exclude`:
    objects to leave out (by object). Returns the number of objects dumped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if sys.version_info < (3, 9):
            # generations (≤3.7) and the FINALIZED bit (3.6-3.8) are read with
            # ctypes; every import happens before the snapshot, since a module
            # imported later would change what the snapshot refers to
            try:
                import ctypes
            except ImportError:
                pass
        # nothing the dumper creates before the snapshot may survive into it:
        # the count tuple is unpacked (and freed) at once
        c0, c1, c2 = gc.get_count()
        return _dump(path, exclude, enabled, [c0, c1, c2])
    finally:
        if enabled:
            gc.enable()


def _run_script(argv):
    """Runs argv[0] as __main__ with argv as sys.argv. Returns the exit status."""
    import os
    import traceback
    script = argv[0]
    with open(script, "rb") as f:
        source = f.read()
    code = compile(source, script, "exec")
    source = None
    sys.argv[:] = argv
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    import types
    try:
        import builtins
    except ImportError:
        import __builtin__ as builtins
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": script, "__builtins__": builtins, "__package__": None})
    # the dumper's own module stays alive (and importable) under its own name:
    # 2.7 would set its globals to None when the module object dies
    own = sys.modules.get("__main__")
    if own is not None and id(getattr(own, "__dict__", None)) == _GLOBALS_ID:
        sys.modules.setdefault("pygcsim_dump", own)
    own = None
    sys.modules["__main__"] = main
    status = 0
    try:
        exec(code, main.__dict__)
    except SystemExit as e:
        c = e.code
        status = c if isinstance(c, int) else (0 if c is None else 1)
        if c is not None and not isinstance(c, int):
            print(c, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        status = 1
    if not _PY3:
        sys.exc_clear()
    main = None
    code = None
    return status


USAGE = """usage: python pygcsim_dump.py OUT.jsonl[.gz] -- script.py [args...]

Runs script.py as __main__, then dumps its heap to OUT (gzip when the name ends
in .gz) for pygcsim (`pygcsim load OUT`). From a program:
    import pygcsim_dump; pygcsim_dump.dump("out.jsonl.gz")
"""


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    out = argv.pop(0)
    if argv and argv[0] == "--":
        argv.pop(0)
    if not argv:
        sys.stderr.write("pygcsim_dump: give a script to run after --\n" + USAGE)
        return 2
    status = _run_script(argv)
    n = dump(out)
    sys.stderr.write("pygcsim_dump: %d objects written to %s\n" % (n, out))
    return status


if __name__ == "__main__":
    sys.exit(main())
