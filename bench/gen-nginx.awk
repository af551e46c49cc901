# Deterministic nginx "combined" access-log generator for the benchmark harness.
#   mawk -v n=1000000 -f bench/gen-nginx.awk > gen.dat
# Every value comes from a fixed 32-bit LCG (69069, exact in IEEE doubles) (no srand/rand), so any awk produces the same bytes
# for the same n: the data is identical across runs and machines. Lines average ~236 bytes and
# all match the bench rule  (ip, 2*_, time/clf<[,]>, http/request", http/status, digit, chars", chars", chars").
function rnd(m) { seed = (seed * 69069 + 1) % 4294967296; return int(seed / 65536) % m } # exact in doubles (< 2^53)
function ip() { return (rnd(223) + 1) "." rnd(256) "." rnd(256) "." (rnd(254) + 1) }
BEGIN {
  seed = 20190806
  split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
  nm = split("GET GET GET GET GET POST POST PUT DELETE HEAD", method, " ")
  np = split("/index.html /nginx-logo.png /api/v1/orders /api/v1/users/profile /static/js/app.min.js /static/css/site.css /images/banner-2019-summer.jpg /search /cart/checkout /favicon.ico", path, " ")
  ns = split("200 200 200 200 200 200 304 304 404 301 302 201 500 403", status, " ")
  nr = split("https://shop.example.com/cart https://www.example.org/blog/2019/08/release-notes http://119.122.1.4/ https://search.example.net/?q=nginx+logs", ref, " ")
  na = 0
  agent[++na] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.142 Safari/537.36"
  agent[++na] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/76.0.3809.100 Safari/537.36"
  agent[++na] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Safari/605.1.15"
  agent[++na] = "Mozilla/5.0 (iPhone; CPU iPhone OS 12_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1"
  agent[++na] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:68.0) Gecko/20100101 Firefox/68.0"
  agent[++na] = "curl/7.64.0"
  t = 12 * 3600 # seconds since 00:00 of day 1
  for (i = 0; i < n; i++) {
    t += rnd(3)
    d = int(t / 86400); s = t % 86400
    q = rnd(4) == 0 ? "?id=" rnd(100000) "&page=" rnd(50) : ""
    r = rnd(5) == 0 ? "-" : ref[rnd(nr) + 1]
    x = rnd(3) == 0 ? ip() : "-"
    printf "%s - - [%02d/%s/2019:%02d:%02d:%02d +0800] \"%s %s%s HTTP/1.1\" %s %d \"%s\" \"%s\" \"%s\"\n",
      ip(), (d % 28) + 1, mon[(int(d / 28) % 12) + 1], int(s / 3600), int(s / 60) % 60, s % 60,
      method[rnd(nm) + 1], path[rnd(np) + 1], q, status[rnd(ns) + 1], rnd(60000), r, agent[rnd(na) + 1], x
  }
}
