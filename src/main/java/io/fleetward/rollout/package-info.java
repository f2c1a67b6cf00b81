/**
 * Pure rollout policy: which wave each target belongs to, whether a wave may start for a revision
 * (earlier waves done and soaked, the rollout not halted), and whether maintenance windows let a
 * target deploy now. No I/O, no clock of its own: every decision takes the instant it is about.
 */
package io.fleetward.rollout;
