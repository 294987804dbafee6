package org.originhub.lifecycle;

/** Which side of the exchange a party of this hub is on for one certificate of origin. */
public enum CertificateSide {
    /** The party is the CO's issuing country: it sends the CO, its replacements and status notices. */
    ISSUING,
    /** The party is the importing country: it receives the CO and sends utilisation, verification and certificate requests. */
    IMPORTING
}
