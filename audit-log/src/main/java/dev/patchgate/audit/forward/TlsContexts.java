package dev.patchgate.audit.forward;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context the forwarder dials the collector with: trusting only the CA file given (never
 * the JDK's public CAs: a collector is the hospital group's own), and showing a client certificate
 * when one is configured. Stateless.
 */
final class TlsContexts {
  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  private TlsContexts() {}

  /**
   * The context of {@code settings}, or {@code null} for plain TCP.
   *
   * @throws IOException naming the file that cannot be read or used
   */
  static SSLContext of(ForwardSettings settings) throws IOException {
    if (!settings.tls()) {
      return null;
    }
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      Path caFile = settings.ca().orElseThrow();
      List<Certificate> cas = certificates(caFile);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca" + i, cas.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (settings.clientCert().isPresent()) {
        Path certFile = settings.clientCert().get();
        char[] password;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        if (settings.clientKey().isPresent()) {
          password = new char[0];
          keys.load(null, null);
          keys.setKeyEntry(
              "client",
              privateKey(settings.clientKey().get()),
              password,
              certificates(certFile).toArray(new Certificate[0]));
        } else {
          String fromEnv = System.getenv(ForwardSettings.P12_PASSWORD_ENV);
          password = fromEnv == null ? new char[0] : fromEnv.toCharArray();
          try (InputStream in = Files.newInputStream(certFile)) {
            keys.load(in, password);
          } catch (IOException e) {
            throw new IOException(
                certFile
                    + ": not a PKCS#12 file, or not its password in "
                    + ForwardSettings.P12_PASSWORD_ENV
                    + " ("
                    + e.getMessage()
                    + "); a PEM certificate needs client-key too",
                e);
          }
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS to the collector: " + e.getMessage(), e);
    }
  }

  private static List<Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> certs =
          new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certs.isEmpty()) {
        throw new IOException(file + ": no PEM certificate in it");
      }
      return certs;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
    }
  }

  /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
  private static PrivateKey privateKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf(BEGIN_KEY);
    int end = pem.indexOf(END_KEY);
    if (begin < 0 || end < begin) {
      throw new IOException(
          file
              + ": not a PKCS#8 PEM key (expected -----BEGIN PRIVATE KEY-----; convert with"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
    }
    byte[] der =
        Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_KEY.length(), end).strip());
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // try the next algorithm
      }
    }
    throw new IOException(file + ": not an RSA, EC or Ed25519 private key");
  }
}
