package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class EventBusTlsTest {

  private final String value = ClusterSecret.generate();
  private final ClusterSecret secret = ClusterSecret.of(value);

  @Test
  void everyHolderOfTheSecretDerivesTheSameKeyAndTrustsTheOthersCertificate() throws Exception {
    EventBusTls node1 = EventBusTls.of(secret);
    EventBusTls node2 = EventBusTls.of(ClusterSecret.of(value));

    assertThat(node2.keyCertOptions().getKeyValue()).isEqualTo(node1.keyCertOptions().getKeyValue());
    X509Certificate presented = certificate(node2.keyCertOptions().getCertValue());
    trustManager(node1).checkServerTrusted(new X509Certificate[] {presented}, "ECDHE_ECDSA");
    trustManager(node1).checkClientTrusted(new X509Certificate[] {presented}, "ECDHE_ECDSA");
    assertThat(presented.getPublicKey()).isEqualTo(certificate(node1.keyCertOptions().getCertValue()).getPublicKey());
  }

  @Test
  void aCertificateDerivedFromAnotherSecretIsNotTrusted() throws Exception {
    EventBusTls node = EventBusTls.of(secret);
    X509Certificate stranger = certificate(EventBusTls.of(ClusterSecret.of(ClusterSecret.generate()))
        .keyCertOptions().getCertValue());

    assertThatThrownBy(() -> trustManager(node).checkClientTrusted(new X509Certificate[] {stranger}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void theKeyIsNotTheSecretAndTheCertificateDoesNotCarryIt() {
    EventBusTls tls = EventBusTls.of(secret);

    assertThat(tls.keyCertOptions().getCertValue().toString()).doesNotContain(value);
    assertThat(tls.keyCertOptions().getKeyValue().toString()).doesNotContain(value);
  }

  private static X509Certificate certificate(Buffer pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes()));
  }

  private static X509TrustManager trustManager(EventBusTls tls) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("cluster", certificate(tls.trustOptions().getCertValues().get(0)));
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
