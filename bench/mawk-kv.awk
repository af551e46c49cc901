# The in-run reference of issue 7: a naive single-core parser that splits each line into
# `key: value, ...` — every blank-separated token becomes `fN: token`, no types, no quoting, no
# validation — the issue's "mawk: split each line into key: value (naive parser)". Every ratio in
# the bench table is to this script, measured in the same run (bench/mawk-nginx.awk, a faster
# format-aware split, is printed next to it for information).
#   mawk -f bench/mawk-kv.awk gen.dat > out.kv
{
  out = ""
  for (i = 1; i <= NF; i++) out = out (i > 1 ? ", " : "") "f" i ": " $i
  print out
}
