/**
 * Text from an endpoint made safe for a terminal: an error message can carry whatever a
 * hostile endpoint put in its reply, and ANSI or OSC escape sequences would recolour, retitle
 * or rewrite the user's terminal. Every control character (C0, DEL and C1) is shown escaped.
 */

/** C0 (tab and newline included), DEL and C1. */
const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f)

const escaped = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`

/** `text` with each control character written as `\u001b`-style escapes. */
export const printable = (text: string): string =>
  Array.from(text, (character) => {
    const code = character.charCodeAt(0)
    return isControl(code) ? escaped(code) : character
  }).join('')
