package org.originhub.lifecycle;

import java.util.List;
import org.originhub.dataset.AcknowledgementFactory;

/**
 * What {@link CertificateLifecycle} made of a message it accepted: the transitions it recorded (possibly none, e.g.
 * for an Acknowledgement) and the warnings to return in an AcceptedWithWarnings acknowledgement. A message that
 * must be refused never gets an outcome: it raises {@link org.originhub.exchange.MessageRejectedException}.
 */
public record LifecycleOutcome(List<LifecycleTransition> transitions, List<LifecycleWarning> warnings) {
    private static final LifecycleOutcome NOTHING = new LifecycleOutcome(List.of(), List.of());

    public LifecycleOutcome {
        transitions = List.copyOf(transitions);
        warnings = List.copyOf(warnings);
    }

    /** Accepted, nothing recorded, nothing to say. */
    public static LifecycleOutcome nothing() {
        return NOTHING;
    }

    public boolean hasWarnings() {
        return !warnings.isEmpty();
    }

    /** The warnings as acknowledgement reasons (severity Warning), for {@link AcknowledgementFactory#acknowledge}. */
    public List<AcknowledgementFactory.Reason> acknowledgementReasons() {
        return warnings.stream().map(LifecycleWarning::asAcknowledgementReason).toList();
    }
}
