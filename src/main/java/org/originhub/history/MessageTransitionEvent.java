package org.originhub.history;

/**
 * Published (as a Spring application event) after each transition is recorded, so that other capabilities, such as
 * metrics, follow the messages without reading the database.
 */
public record MessageTransitionEvent(MessageHistory.Transition transition) {
}
