# The in-run reference of issue 7: a naive single-core parser that splits each line into
# `key: value, ...` — every blank-separated token becomes `fN: token`, no types, no quoting, no
# validation. Its rate on this data matches the issue's reference figure for "mawk: split each
# line into key: value" (~270K lines/s on a quiet 2-core machine). Every ratio in the bench table
# is to this script, measured in the same run.
#   mawk -f bench/mawk-kv.awk gen.dat > out.kv
{
  out = ""
  for (i = 1; i <= NF; i++) out = out (i > 1 ? ", " : "") "f" i ": " $i
  print out
}
