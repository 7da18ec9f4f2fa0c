/** What the job queues of both backends share and users do not see. */
@NullMarked
package io.distkit.pool.jobs.internal;

import org.jspecify.annotations.NullMarked;
