// Node's own start: the baseline the other start-up scripts are measured against.
// Prints milliseconds since the process began (`performance.now()`) and the CPU time it used.
const { user, system } = process.cpuUsage()
process.stdout.write(`${performance.now()} ${(user + system) / 1000}\n`)
