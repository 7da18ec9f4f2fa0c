/**
 * The code of every Java snippet in distkit's READMEs, compiled by the build. {@code ReadmeSnippetsTest} fails
 * when a README's copy differs from the file here, and runs each quick start. Each file is written to be
 * pasted into a new project as it is (without the package line).
 */
@NullMarked
package io.distkit.examples.snippets;

import org.jspecify.annotations.NullMarked;
