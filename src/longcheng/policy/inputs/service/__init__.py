"""The behaviour of inputs, in two parts, imported by their own names (no re-exports here, so that
reading the sources never pulls in the import code, which needs ``policy.service``):

* ``sources`` — where each variable of a pack comes from, and ``load_population`` (registry
  tags, facts and input records → engine columns). Start here.
* ``records`` — the XLSX template, row validation and the all-or-nothing import of input records.
"""
