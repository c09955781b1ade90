/**
 * Text from an endpoint made safe for a terminal: an error message can carry whatever a
 * hostile endpoint put in its reply, and ANSI or OSC escape sequences would recolour, retitle
 * or rewrite the user's terminal. Every control character (C0, DEL and C1) is shown escaped.
 */

/** Control characters: C0 (tab and newline included), DEL, C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/** `text` with each control character written as `\u001b`-style escapes. */
export const printable = (text: string): string =>
  text.replace(CONTROL, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
