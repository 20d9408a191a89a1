import { runMrtCli } from './dump';

// The `patronus-mrt` executable: exit status from the run; EPIPE (output piped to `head`) ends quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
runMrtCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`patronus-mrt: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
