/** `@azmi/test-support`: scaffolding shared by the test suites of every azmi package (private). */
export {}
