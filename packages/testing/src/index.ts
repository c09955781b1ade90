/** `@azmi/testing`: fast-check arbitraries and fake capabilities for code built on azmi. */
export {}
