declare const SEALED: unique symbol;

/**
 * Ciphertext written by PersonalDataVault.seal. It is a string on the wire and in the
 * database, but a plain string is not a Sealed: code that must store only sealed text (an
 * event's personal fields) cannot be handed plaintext by mistake, and a decision that works
 * on plaintext (`decide`) produces events whose texts are typed `string` until they are sealed.
 */
export type Sealed = string & { readonly [SEALED]: true };
