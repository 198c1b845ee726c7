/** Internal to Tributary's federation engine: public only so that its packages can see each other; not a supported API. */
@NullMarked
package dev.tributary.federation.sql;

import org.jspecify.annotations.NullMarked;
