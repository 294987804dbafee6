package org.originhub.format;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.signature.SigningKey;
import org.springframework.stereotype.Component;

/**
 * Finds the national format of each party by the name in {@code originhub.parties.<CC>.format}. Checked at start-up:
 * a party naming a format that does not exist stops the hub with the key and the known names.
 */
@Component
public class FormatRegistry {
    private final Map<String, NationalFormat> byName;
    private final OriginHubProperties props;
    private final Function<String, SigningKey> partyKeys;

    public FormatRegistry(List<NationalFormat> formats, OriginHubProperties props,
                          org.originhub.signature.PartyKeyRing keyRing) {
        this.byName = formats.stream().collect(Collectors.toMap(NationalFormat::name, f -> f, (a, b) -> {
            throw new IllegalStateException("two national formats are named " + a.name());
        }, TreeMap::new));
        this.props = props;
        this.partyKeys = keyRing::signingKey;
        props.parties().forEach((cc, party) -> {
            if (!byName.containsKey(party.format())) {
                throw new IllegalStateException("originhub.parties." + cc + ".format: unknown format '" + party.format()
                        + "'; known formats: " + byName.keySet());
            }
            for (int i = 0; i < party.alsoAccepts().size(); i++) {
                if (!byName.containsKey(party.alsoAccepts().get(i))) {
                    throw new IllegalStateException("originhub.parties." + cc + ".also-accepts[" + i + "]: unknown format '"
                            + party.alsoAccepts().get(i) + "'; known formats: " + byName.keySet());
                }
            }
        });
        if (!byName.containsKey(COMMON_DATASET)) {
            throw new IllegalStateException("the common dataset format '" + COMMON_DATASET + "' is missing");
        }
    }

    /** The common dataset itself, which every party may send and receive. */
    public static final String COMMON_DATASET = "ccd";

    /**
     * The format of a document a party's single window dropped on its outbox: its configured format, unless the
     * document is recognisably one of the formats it also accepts, or the common dataset (always accepted, so an
     * ALADI party can send message types COD cannot express).
     */
    public NationalFormat forOutboxDocument(String party, byte[] document) {
        OriginHubProperties.Party p = requireParty(party);
        NationalFormat configured = named(p.format());
        if (document == null || configured.recognises(document)) {
            return configured;
        }
        for (String name : p.alsoAccepts()) {
            if (named(name).recognises(document)) {
                return named(name);
            }
        }
        NationalFormat ccd = named(COMMON_DATASET);
        return ccd.recognises(document) ? ccd : configured;
    }

    /** The format to deliver a message type to a party's single window in: its own, or the common dataset. */
    public NationalFormat forDelivery(String party, org.originhub.dataset.v1.MessageTypeCode type) {
        NationalFormat configured = forParty(party);
        return configured.supports(type) ? configured : named(COMMON_DATASET);
    }

    public NationalFormat named(String name) {
        NationalFormat f = byName.get(name);
        if (f == null) throw new IllegalArgumentException("unknown format " + name);
        return f;
    }

    /** The format the party's single window speaks. */
    public NationalFormat forParty(String party) {
        return named(requireParty(party).format());
    }

    public FormatContext contextFor(String party) {
        return new FormatContext(party, requireParty(party).formatOptions(), partyKeys.apply(party));
    }

    private OriginHubProperties.Party requireParty(String party) {
        OriginHubProperties.Party p = party == null ? null : props.parties().get(party);
        if (p == null) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTY, "this hub does not serve party " + party);
        }
        return p;
    }
}
