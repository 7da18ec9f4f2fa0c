/**
 * The membership machinery that {@code io.distkit.hashing.local} and {@code io.distkit.hashing.redis} share:
 * {@link io.distkit.hashing.internal.AbstractMembership} (renews, reads and notifies, on a core scheduler) and
 * {@link io.distkit.hashing.internal.MembershipSettings} (what a {@code MembershipBuilder} gathered).
 *
 * <p>Both are public only because two other packages of this module use them; neither appears in a public or
 * protected signature of the API packages, and no public class extends them. Not API: anything here may
 * change in any release. (The locators' helpers, which only {@code io.distkit.hashing} uses, live there as
 * package-private classes.)
 */
@NullMarked
package io.distkit.hashing.internal;

import org.jspecify.annotations.NullMarked;
