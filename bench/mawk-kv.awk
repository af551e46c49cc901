# Issue 7's in-run reference, now printed for information only: a naive single-core parser that
# splits each line into `key: value, ...` — every blank-separated token becomes `fN: token`, no
# types, no quoting, no validation. Since issue 14 every ratio in the bench table is to the
# format-aware split bench/mawk-nginx.awk (4-6x faster than this one), measured in the same run.
#   mawk -f bench/mawk-kv.awk gen.dat > out.kv
{
  out = ""
  for (i = 1; i <= NF; i++) out = out (i > 1 ? ", " : "") "f" i ": " $i
  print out
}
