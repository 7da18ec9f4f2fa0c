package io.distkit.core;

/** {@link BackendListener#noop()}. */
enum NoopBackendListener implements BackendListener {
  INSTANCE;

  @Override
  public String toString() {
    return "BackendListener.noop()";
  }
}
