package org.originhub.history;

import java.util.List;

/** One message: its summary and every transition it passed through, oldest first. */
public record MessageDetail(MessageSummary message, List<MessageHistory.Transition> transitions) {
    public MessageDetail {
        transitions = List.copyOf(transitions);
    }
}
