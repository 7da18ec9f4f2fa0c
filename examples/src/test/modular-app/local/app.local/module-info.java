// A modular application that uses distkit's local implementations: no Jedis on its module path at all.
module app.local {
  requires io.distkit.ratelimit;
  requires io.distkit.hashing;
}
