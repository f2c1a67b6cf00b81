/**
 * fleetward's settings, one {@code @ConfigMapping} per feature ({@code fleetward.source.*},
 * {@code fleetward.ssh.*} ...). Each key is documented in {@code config/application.properties} and
 * the README table, and its default is defined here only; a malformed value fails start-up with the
 * key's name.
 */
package io.fleetward.config;
