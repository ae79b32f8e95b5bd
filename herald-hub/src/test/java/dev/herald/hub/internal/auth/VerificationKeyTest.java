package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.JwsAlgorithm.EDDSA;
import static dev.herald.hub.internal.auth.JwsAlgorithm.ED25519;
import static dev.herald.hub.internal.auth.JwsAlgorithm.ES256;
import static dev.herald.hub.internal.auth.JwsAlgorithm.ES384;
import static dev.herald.hub.internal.auth.JwsAlgorithm.HS256;
import static dev.herald.hub.internal.auth.JwsAlgorithm.HS384;
import static dev.herald.hub.internal.auth.JwsAlgorithm.HS512;
import static dev.herald.hub.internal.auth.JwsAlgorithm.PS256;
import static dev.herald.hub.internal.auth.JwsAlgorithm.PS384;
import static dev.herald.hub.internal.auth.JwsAlgorithm.PS512;
import static dev.herald.hub.internal.auth.JwsAlgorithm.RS256;
import static dev.herald.hub.internal.auth.JwsAlgorithm.RS384;
import static dev.herald.hub.internal.auth.JwsAlgorithm.RS512;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key configuration: allowlists derived from the key type, explicit allowlists, and refused keys. */
class VerificationKeyTest {

    @Test
    void hmacAllowlistFollowsSecretLength() {
        assertThat(VerificationKey.ofHmacSecret(Keys.secret(32)).algorithms()).containsExactly(HS256);
        assertThat(VerificationKey.ofHmacSecret(Keys.secret(48)).algorithms()).containsExactly(HS256, HS384);
        assertThat(VerificationKey.ofHmacSecret(Keys.secret(64)).algorithms()).containsExactly(HS256, HS384, HS512);
    }

    @Test
    void refusesShortHmacSecret() {
        assertThatThrownBy(() -> VerificationKey.ofHmacSecret(Keys.secret(31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret: 31 bytes (expected: >= 32, RFC 7518 §3.2)");
    }

    @Test
    void refusesExplicitHmacAlgorithmLongerThanTheSecretAllows() {
        assertThatThrownBy(() -> VerificationKey.ofHmacSecret(Keys.secret(32), Set.of(HS512)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret: 32 bytes (expected: >= 64 for HS512, RFC 7518 §3.2)");
    }

    @Test
    void refusesPublicKeyPemAsHmacSecret() {
        assertThatThrownBy(() -> VerificationKey.ofHmacSecret(Keys.pemBytes(Keys.RSA_A.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("looks like a PEM block");
    }

    @Test
    void refusesAsymmetricAlgorithmForHmacSecret() {
        assertThatThrownBy(() -> VerificationKey.ofHmacSecret(Keys.secret(32), Set.of(RS256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RS256 is not compatible with an HMAC secret");
    }

    @Test
    void rsaKeyAllowsRsaAlgorithmsOnly() {
        VerificationKey key = VerificationKey.ofPublicKeyPem(Keys.pem(Keys.RSA_A.getPublic()));

        assertThat(key.algorithms()).containsExactlyInAnyOrder(RS256, RS384, RS512, PS256, PS384, PS512);
        assertThat(key.keyType()).isEqualTo("RSA");
        assertThatThrownBy(() -> VerificationKey.ofPublicKey(Keys.RSA_A.getPublic(), Set.of(HS256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HS256 is not compatible with an RSA key");
    }

    @Test
    void explicitAllowlistNarrowsTheKey() {
        VerificationKey key = VerificationKey.ofPublicKey(Keys.RSA_A.getPublic(), Set.of(PS256));

        assertThat(key.algorithms()).containsExactly(PS256);
        assertThat(key.allows(RS256)).isFalse();
        assertThatThrownBy(() -> VerificationKey.ofPublicKey(Keys.RSA_A.getPublic(), Set.of()))
                .hasMessage("algorithms: [] (expected: at least one)");
    }

    @Test
    void refusesShortRsaKey() {
        assertThatThrownBy(() -> VerificationKey.ofPublicKey(Keys.rsa(1024).getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key: RSA 1024 bits (expected: >= 2048, RFC 7518 §3.3)");
    }

    @Test
    void ecKeyAllowsOnlyTheAlgorithmOfItsCurve() {
        assertThat(VerificationKey.ofPublicKeyPem(Keys.pem(Keys.EC_A.getPublic())).algorithms()).containsExactly(ES256);
        assertThat(VerificationKey.ofPublicKey(Keys.EC_384.getPublic()).algorithms()).containsExactly(ES384);
        assertThatThrownBy(() -> VerificationKey.ofPublicKey(Keys.EC_A.getPublic(), Set.of(ES384)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ES384 is not compatible with an EC key");
    }

    @Test
    void ed25519KeyAllowsEdDsa() {
        VerificationKey key = VerificationKey.ofPublicKeyPem(Keys.pem(Keys.ED_A.getPublic()));

        assertThat(key.algorithms()).containsExactly(EDDSA, ED25519);
        assertThat(key.keyType()).isEqualTo("Ed25519");
    }

    @Test
    void refusesPemThatIsNotASinglePublicKey() {
        String body = Base64.getMimeEncoder().encodeToString(Keys.RSA_A.getPublic().getEncoded());
        assertThatThrownBy(() -> VerificationKey.ofPublicKeyPem("-----BEGIN RSA PUBLIC KEY-----\n" + body
                + "\n-----END RSA PUBLIC KEY-----")).hasMessageContaining("label \"RSA PUBLIC KEY\"");
        assertThatThrownBy(() -> VerificationKey.ofPublicKeyPem("-----BEGIN PRIVATE KEY-----\n" + body
                + "\n-----END PRIVATE KEY-----")).hasMessageContaining("label \"PRIVATE KEY\"");
        assertThatThrownBy(() -> VerificationKey.ofPublicKeyPem(Keys.pem(Keys.RSA_A.getPublic())
                + Keys.pem(Keys.EC_A.getPublic()))).hasMessageContaining("more than one PEM block");
        assertThatThrownBy(() -> VerificationKey.ofPublicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("not an RSA, EC or Ed25519 SubjectPublicKeyInfo");
        assertThatThrownBy(() -> VerificationKey.ofPublicKeyPem("not pem")).hasMessageContaining("no '-----BEGIN '");
    }

    @Test
    void keyIdIsKeptAndToStringHidesTheSecret() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        VerificationKey key = VerificationKey.ofHmacSecret(secret).withKeyId("2026-01");

        assertThat(key.keyId()).hasValue("2026-01");
        assertThat(key.toString()).contains("HMAC secret of 32 bytes", "2026-01").doesNotContain("0123456789");
    }

    @Test
    void secretIsCopied() {
        byte[] secret = Keys.secret(32);
        VerificationKey key = VerificationKey.ofHmacSecret(secret);
        String token = Mint.token("HS256").signedWith(Keys.hmac(secret));
        secret[0] ^= 1;

        assertThat(key.newVerifier().verify(header(token), input(token), signature(token))).isTrue();
    }

    @Test
    void algorithmNamesAreTheRegisteredOnesAndNoneIsNotOne() {
        assertThat(JwsAlgorithm.ofJwaName("EdDSA")).isEqualTo(EDDSA);
        assertThat(JwsAlgorithm.ofJwaName("Ed25519")).isEqualTo(ED25519);
        assertThat(JwsAlgorithm.ofJwaName("ES256").jwaName()).isEqualTo("ES256");
        assertThatThrownBy(() -> JwsAlgorithm.ofJwaName("none")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwsAlgorithm.ofJwaName("es256")).isInstanceOf(IllegalArgumentException.class);
    }

    private static com.nimbusds.jose.JWSHeader header(String token) {
        try {
            return com.nimbusds.jose.JWSObject.parse(token).getHeader();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] input(String token) {
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    private static com.nimbusds.jose.util.Base64URL signature(String token) {
        return new com.nimbusds.jose.util.Base64URL(token.substring(token.lastIndexOf('.') + 1));
    }
}
