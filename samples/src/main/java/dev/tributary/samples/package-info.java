/**
 * Samples that run on embedded H2 with no database server: the {@link dev.tributary.samples.ConsoleDemo}
 * and the data set both samples seed.
 */
@NullMarked
package dev.tributary.samples;

import org.jspecify.annotations.NullMarked;
