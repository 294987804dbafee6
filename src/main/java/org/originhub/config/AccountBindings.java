package org.originhub.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Which partner or party each broker account speaks for ({@code originhub.broker.accounts.<user>}): a partner account
 * for the partners it names ({@code partners: [BR]}; a regional hub behind one account may speak for several), a
 * single-window account for its party. The hub asks this, with the account the broker authenticated
 * ({@code OriginHubAuthenticatedAccount}), who a message is from, and believes the message's own header only if it
 * agrees. Checked at start-up: a partner account must name partners this hub has, a single-window account a party
 * it serves.
 */
@Component
public class AccountBindings {
    private final Map<String, OriginHubProperties.Account> accounts;

    public AccountBindings(OriginHubProperties props) {
        this.accounts = props.broker().accounts();
        accounts.forEach((user, account) -> {
            String key = "originhub.broker.accounts." + user;
            switch (account.role()) {
                case PARTNER -> {
                    if (account.partners().isEmpty()) {
                        throw new IllegalStateException(key + ".partners must name the partner(s) this account speaks for, e.g. [BR]");
                    }
                    for (String partner : account.partners()) {
                        if (!props.partners().containsKey(partner)) {
                            throw new IllegalStateException(key + ".partners names " + partner
                                    + ", which is no partner of this hub (" + props.partners().keySet() + ")");
                        }
                    }
                    if (account.party() != null) {
                        throw new IllegalStateException(key + ".party is for SINGLE_WINDOW accounts; a PARTNER account names partners");
                    }
                }
                case SINGLE_WINDOW -> {
                    if (account.party() == null || !props.parties().containsKey(account.party())) {
                        throw new IllegalStateException(key + ".party must name a party this hub serves, got " + account.party());
                    }
                    if (!account.partners().isEmpty()) {
                        throw new IllegalStateException(key + ".partners is for PARTNER accounts; a SINGLE_WINDOW account names its party");
                    }
                }
            }
        });
    }

    /** The partners a broker account may send messages for; empty for an unknown or non-partner account. */
    public Set<String> partnersOf(String account) {
        OriginHubProperties.Account a = account == null ? null : accounts.get(account);
        if (a == null || a.role() != OriginHubProperties.AccountRole.PARTNER) {
            return Set.of();
        }
        return new TreeSet<>(a.partners());
    }

    /** Whether a broker account is the single window of {@code party}. */
    public boolean isSingleWindowOf(String account, String party) {
        OriginHubProperties.Account a = account == null ? null : accounts.get(account);
        return a != null && a.role() == OriginHubProperties.AccountRole.SINGLE_WINDOW && party.equals(a.party());
    }

    /** Accounts of one role, for the broker's security settings. */
    public List<String> accountsWithRole(OriginHubProperties.AccountRole role) {
        return accounts.entrySet().stream().filter(e -> e.getValue().role() == role).map(Map.Entry::getKey).sorted().toList();
    }
}
