#!/usr/bin/env python3
"""Writes the compatibility table of README.md: every function and data symbol the
library exports, grouped by API family, marked with its place in CPython 3.13's stable
ABI, and cross-checked with the declarations in include/.

    tools/compat_table.py            rewrite the README section between the markers
    tools/compat_table.py --check    exit 1 when that section is stale, or when a
                                     header declares something the library lacks

The library is $CARGO_TARGET_DIR/release/libisle.so (target/release/libisle.so by
default) unless --lib says otherwise; build it first (`make`).
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["include/isle/abi.h", "include/isle/varargs.h", "include/isle/exceptions.h"]
STABLE_ABI = ROOT / "tools" / "stable_abi_names.txt"
BEGIN = "<!-- compat:begin -->"
END = "<!-- compat:end -->"

# First match wins, so the narrower families come first.
FAMILIES = [
    ("Configuration and status (initconfig.h)",
     r"PyConfig_\w+|PyPreConfig_\w+|PyWideStringList_\w+|PyStatus_\w+|Py_PreInitialize\w*|Py_ExitStatusException"),
    ("Runtime lifecycle (pylifecycle.h)",
     r"Py_(Initialize|InitializeEx|InitializeFromConfig|Finalize|FinalizeEx|IsInitialized|IsFinalizing|AtExit"
     r"|NewInterpreter|NewInterpreterFromConfig|EndInterpreter|Main|BytesMain|RunMain|Exit|FatalError"
     r"|GetVersion|GetPlatform|GetCopyright|GetCompiler|GetBuildInfo|Version|GetPath|GetPrefix|GetExecPrefix"
     r"|GetProgramName|GetProgramFullPath|GetPythonHome|SetPath|SetProgramName|SetPythonHome)|_Py_FatalErrorFunc"),
    ("Exceptions and warnings (pyerrors.h, warnings.h)",
     r"_?PyErr_\w+|PyException\w*_\w+|PyExc_\w+|PyUnicode(Decode|Encode|Translate)Error_\w+"
     r"|PyOS_InterruptOccurred|PySignal_\w+"),
    ("Memory (pymem.h, objimpl.h)", r"PyMem_\w+|PyObject_(Malloc|Calloc|Realloc|Free)"),
    ("Calls and arguments (call.h, modsupport.h, methodobject.h)",
     r"_?PyObject_(Call\w*|Vectorcall\w*)|PyVectorcall_\w+|_?PyArg_\w+|_?Py_(Va)?BuildValue\w*"
     r"|PyCFunction_\w+|PyCMethod_\w+|PyMethod_\w+|PyInstanceMethod_\w+"),
    ("Running code (pythonrun.h, ceval.h, code)",
     r"PyRun_\w+|Py_CompileString\w*|PyEval_(Eval\w+|Get\w+|MergeCompilerFlags)|PyCode_\w+|PyFrame_\w+"
     r"|PyTraceBack_\w+"),
    ("Threads, interpreters and the GIL (pystate.h, ceval.h)",
     r"_?PyThreadState_\w+|_?PyInterpreterState_\w+|PyGILState_\w+|PyEval_\w+|PyThread_\w+"
     r"|Py_(AddPendingCall|MakePendingCalls|EnterRecursiveCall|LeaveRecursiveCall|GetRecursionLimit"
     r"|SetRecursionLimit)|_Py_CheckRecursiveCall"),
    ("Modules and import (moduleobject.h, import.h)", r"PyModule\w*|_?PyState_\w+|_?PyImport_\w+"),
    ("Types (object.h, typeobject)", r"_?PyType_\w+"),
    ("int (longobject.h)", r"_?PyLong_\w+"),
    ("bool (boolobject.h)", r"PyBool_\w+|_Py_(True|False)Struct"),
    ("float (floatobject.h)", r"PyFloat_\w+"),
    ("complex (complexobject.h)", r"PyComplex_\w+"),
    ("str (unicodeobject.h)", r"_?PyUnicode\w*"),
    ("bytes and bytearray (bytesobject.h, bytearrayobject.h)", r"_?PyBytes\w*|PyByteArray\w*"),
    ("tuple (tupleobject.h, structseq.h)", r"_?PyTuple\w*|PyStructSequence_\w+"),
    ("list (listobject.h)", r"PyList\w*"),
    ("dict (dictobject.h)", r"_?PyDict\w*"),
    ("set (setobject.h)", r"PySet\w*|PyFrozenSet\w*"),
    ("Number protocol (abstract.h)", r"PyNumber_\w+|PyIndex_Check"),
    ("Sequence, mapping and iterator protocols (abstract.h)",
     r"PySequence_\w+|PyMapping_\w+|PyA?Iter_\w+|PySeqIter_\w+|PyCallIter_\w+"),
    ("Buffers and memoryview (buffer, memoryobject.h)", r"PyBuffer_\w+|PyMemoryView_\w+"),
    ("Capsules (pycapsule.h)", r"PyCapsule_\w+"),
    ("Codecs (codecs.h)", r"PyCodec_\w+"),
    ("Descriptors and members (descrobject.h)",
     r"PyDescr_\w+|PyMember_\w+|PyWrapper_New|PyDictProxy_\w+|Py\w*Descr_Type|PyProperty_Type"),
    ("System and OS (sysmodule.h, pylifecycle.h)",
     r"PySys_\w+|PyOS_\w+|Py_(FileSystemDefault\w+|HasFileSystemDefaultEncoding|UTF8Mode|DecodeLocale|EncodeLocale)"),
    ("Objects, references and constants (object.h)",
     r"PyObject_\w+|_PyObject_\w+|PyCallable_Check|PyBaseObject_Type|Py_(GetConstant\w*|Is\w*|X?NewRef|IncRef|DecRef"
     r"|ReprEnter|ReprLeave|HashPointer)|_Py_(IncRef|DecRef|Dealloc|SetRefcnt|NoneStruct|NotImplementedStruct"
     r"|EllipsisObject|SwappedOp|HashDouble|NegativeRefcount|RefTotal)|PyGC_\w+"),
]
OTHER = "Other"
FAMILY_RES = [(name, re.compile(rf"(?:{pattern})\Z")) for name, pattern in FAMILIES]


def family_of(name):
    for family, pattern in FAMILY_RES:
        if pattern.match(name):
            return family
    return OTHER


def library_path(arg):
    if arg:
        return Path(arg)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    if not target.is_absolute():
        target = ROOT / target
    return target / "release" / "libisle.so"


def exported_symbols(lib):
    """{name: "function" | "data"} of the library's defined dynamic symbols."""
    if not lib.exists():
        sys.exit(f"compat_table: {lib} does not exist; build the library first (make)")
    out = subprocess.run(["nm", "-D", "--defined-only", str(lib)], check=True, capture_output=True,
                         text=True).stdout
    symbols = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[-2], parts[-1].split("@")[0]
        if kind in "TtWwi":
            symbols[name] = "function"
        elif kind in "DdBbRrGgSsVv":
            symbols[name] = "data"
    return symbols


def declared_names():
    """{name: "function" | "data"} of what the public headers declare."""
    names = {}
    for header in HEADERS:
        text = (ROOT / header).read_text()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"#ifdef __cplusplus.*?#endif", " ", text, flags=re.S)
        text = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)
        while True:  # struct bodies and other braces
            stripped = re.sub(r"\{[^{}]*\}", " ", text)
            if stripped == text:
                break
            text = stripped
        for statement in text.split(";"):
            statement = " ".join(statement.split())
            if not statement or statement.startswith("typedef"):
                continue
            if "(" in statement:
                m = re.search(r"(\w+)\s*\(", statement)
                if m:
                    names[m.group(1)] = "function"
            elif statement.startswith("extern"):
                # The name, not an array's length (`extern char x[1]`).
                names[re.findall(r"\w+", re.sub(r"\[[^\]]*\]", "", statement))[-1]] = "data"
    return names


def stable_abi():
    """{name: (kind, added, abi_only)} of the stable ABI's functions and data."""
    table = {}
    for line in STABLE_ABI.read_text().splitlines():
        if line and not line.startswith("#"):
            name, kind, added, abi_only = line.split("\t")
            table[name] = (kind, added, abi_only == "yes")
    return table


def stable_label(entry):
    if entry is None:
        return "—"
    _, added, abi_only = entry
    return f"{added}, ABI only" if abi_only else added


def render(exported, declared, stable):
    functions = sum(1 for k in exported.values() if k == "function")
    in_stable = [n for n in exported if n in stable]
    lines = [
        BEGIN,
        "_Generated by `tools/compat_table.py` from the library's dynamic symbols and the headers in "
        "`include/`; do not edit by hand._",
        "",
        f"**{len(exported)} exported symbols** ({functions} functions, {len(exported) - functions} data), "
        f"{len(in_stable)} of them among the {len(stable)} functions and data of CPython 3.13's stable ABI. "
        "\"Stable ABI\" gives the version a name entered it; \"ABI only\" marks names that binaries reach "
        "through macros or old headers rather than by name.",
        "",
    ]
    undeclared = sorted(n for n in exported if n not in declared)
    missing = sorted(n for n in declared if n not in exported)
    lines.append("Exported but not declared in `include/`: "
                 + (", ".join(f"`{n}`" for n in undeclared) if undeclared else "none") + ".")
    lines.append("Declared but not exported: " + (", ".join(f"`{n}`" for n in missing) if missing else "none") + ".")
    lines.append("")

    groups = {}
    for name in exported:
        groups.setdefault(family_of(name), []).append(name)
    stable_by_family = {}
    for name in stable:
        stable_by_family.setdefault(family_of(name), []).append(name)
    order = [f for f, _ in FAMILIES] + [OTHER]
    lines += ["| family | exported | of them stable ABI | stable-ABI names not exported yet |", "|---|---:|---:|---:|"]
    for family in order:
        names = groups.get(family, [])
        wanted = stable_by_family.get(family, [])
        if not names and not wanted:
            continue
        have = sum(1 for n in names if n in stable)
        lines.append(f"| {family} | {len(names)} | {have} | {len(wanted) - have} |")
    lines.append("")
    for family in order:
        names = sorted(groups.get(family, []), key=lambda n: (n.lstrip("_").lower(), n))
        if not names:
            continue
        lines += [f"<details><summary>{family}: {len(names)}</summary>", "",
                  "| symbol | kind | stable ABI |", "|---|---|---|"]
        lines += [f"| `{n}` | {exported[n]} | {stable_label(stable.get(n))} |" for n in names]
        lines += ["", "</details>", ""]
    lines.append(END)
    return "\n".join(lines), missing


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if README.md's table is stale")
    parser.add_argument("--lib", help="path of libisle.so")
    parser.add_argument("--readme", default=str(ROOT / "README.md"))
    args = parser.parse_args()

    section, missing = render(exported_symbols(library_path(args.lib)), declared_names(), stable_abi())
    readme = Path(args.readme)
    text = readme.read_text()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        sys.exit(f"compat_table: {readme} has no {BEGIN} ... {END} section")
    updated = text[:start] + section + text[end + len(END):]
    if missing:
        print("compat_table: declared in include/ but not exported by the library: " + ", ".join(missing),
              file=sys.stderr)
    if args.check:
        if updated != text:
            print(f"compat_table: the table in {readme} is stale; run tools/compat_table.py", file=sys.stderr)
            return 1
        return 1 if missing else 0
    if updated != text:
        readme.write_text(updated)
        print(f"compat_table: {readme} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
