package dev.gantry.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS for the clustered event bus, keyed by the cluster secret. Every node derives the same P-256 key
 * pair from {@code secret.derive("eventbus-tls")} and a self-signed certificate for it (same subject and
 * key everywhere; ECDSA signatures differ, so it is marked as its own CA and each node's copy validates
 * against another's). That certificate is the only trust anchor and client certificates are required,
 * so both ends of every event-bus connection prove they hold the secret. Nothing is written to disk.
 */
public final class EventBusTls {

  private static final String CURVE = "secp256r1";
  private static final X500Name SUBJECT = new X500Name("CN=gantry cluster event bus");
  /** Fixed, so every node builds the same certificate. */
  private static final Date NOT_BEFORE = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
  private static final Date NOT_AFTER = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

  private final String keyPem;
  private final String certificatePem;

  private EventBusTls(String keyPem, String certificatePem) {
    this.keyPem = keyPem;
    this.certificatePem = certificatePem;
  }

  public static EventBusTls of(ClusterSecret secret) {
    try {
      X9ECParameters curve = ECNamedCurveTable.getByName(CURVE);
      BigInteger order = curve.getN();
      BigInteger d = new BigInteger(1, secret.derive("eventbus-tls")).mod(order.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(d).normalize();

      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(CURVE));
      ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
      KeyFactory keys = KeyFactory.getInstance("EC");
      PrivateKey privateKey = keys.generatePrivate(new ECPrivateKeySpec(d, spec));
      PublicKey publicKey = keys.generatePublic(new ECPublicKeySpec(
          new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));

      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(SUBJECT, BigInteger.ONE, NOT_BEFORE, NOT_AFTER, SUBJECT, publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(privateKey)));
      return new EventBusTls(pem("PRIVATE KEY", privateKey.getEncoded()), pem("CERTIFICATE", certificate.getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot derive the event bus certificate: " + e.getMessage(), e);
    }
  }

  /** Turns TLS on for {@code options}: this key and certificate, trusting only it, client certificates required. */
  public EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true).setKeyCertOptions(keyCertOptions()).setTrustOptions(trustOptions())
        .setClientAuth(ClientAuth.REQUIRED).setTrustAll(false);
  }

  /** The key and certificate a node presents, as server and as client. */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().addKeyValue(Buffer.buffer(keyPem)).addCertValue(Buffer.buffer(certificatePem));
  }

  /** The only certificate a node trusts: the one every holder of the secret derives. */
  public PemTrustOptions trustOptions() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(certificatePem));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
