# The reference every ratio of the bench table uses (issue 14): the fastest thing a shell user would
# write for this data. It knows the nginx layout and so splits each line into
# `key: value, ...` the way a shell one-liner would — no validation, no types, no escaping.
#   mawk -f bench/mawk-nginx.awk gen.dat > out.kv
# Quoted parts (request, referer, agent, xff) are cut on '"'; the rest on blanks.
BEGIN { FS = "\"" }
{
  split($1, a, " ")   # ip - - [time zone]
  split($3, b, " ")   # status size
  printf "sip: %s, time: \"%s %s\", request: \"%s\", status: %s, size: %s, referer: \"%s\", agent: \"%s\", xff: \"%s\"\n",
    a[1], substr(a[4], 2), substr(a[5], 1, length(a[5]) - 1), $2, b[1], b[2], $4, $6, $8
}
