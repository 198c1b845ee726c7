/**
 * Spring Boot auto-configuration of Tributary: add {@code dev.tributary:tributary-spring-boot-starter}, configure
 * {@code tributary.databases.<name>.url} and inject {@code Databases} and {@code Federation}. See
 * {@link dev.tributary.spring.boot.TributaryAutoConfiguration} and {@link dev.tributary.spring.boot.TributaryProperties}.
 */
@NullMarked
package dev.tributary.spring.boot;

import org.jspecify.annotations.NullMarked;
