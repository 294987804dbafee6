package org.originhub.operations;

import org.springframework.boot.actuate.health.Status;

/**
 * The hub's own health statuses, beside Spring Boot's UP, DOWN, OUT_OF_SERVICE and UNKNOWN. Both are placed in
 * {@code management.endpoint.health.status.order} (application.yml): WARNING ranks between OUT_OF_SERVICE and UP, so
 * one expiring certificate turns the whole hub WARNING (HTTP 200) unless something is DOWN; DISABLED ranks below UP,
 * so a partner switched off in the configuration never lowers the hub's status.
 */
public final class HubHealthStatus {
    /** Works now, needs an operator soon (e.g. a signing certificate close to its expiry). */
    public static final Status WARNING = new Status("WARNING", "works now, needs attention soon");
    /** Switched off in the configuration (a partner with {@code enabled: false}). */
    public static final Status DISABLED = new Status("DISABLED", "disabled in the configuration");

    private HubHealthStatus() {
    }
}
