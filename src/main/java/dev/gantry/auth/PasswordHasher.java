package dev.gantry.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** Argon2id (password4j) with a random salt per password; slow on purpose, so call it off the event loop. */
public final class PasswordHasher {

  private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  /** Compared against when the user does not exist, so a missing user costs as much time as a wrong password. */
  private static final String DUMMY = hash("not-a-real-password");

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  public static boolean verify(String password, String hash) {
    if (hash == null) {
      Password.check(password, DUMMY).with(ARGON2);
      return false;
    }
    return Password.check(password, hash).with(ARGON2);
  }

  private PasswordHasher() {
  }
}
