/**
 * The lifecycle of certificates of origin (CO) as the hub sees them: the state each party of the hub keeps for each
 * CO it sent or received a message about ({@link org.originhub.lifecycle.CertificateState}), the rules that move it
 * and refuse what does not fit ({@link org.originhub.lifecycle.CertificateLifecycle}), the answer to a partner's
 * certificate request (pull), and the per-CO message group ({@link org.originhub.lifecycle.CertificateKey#groupId}).
 * Plain Java and JDBC on the tables of {@code db/migration/V100__certificate_lifecycle.sql}.
 */
package org.originhub.lifecycle;
