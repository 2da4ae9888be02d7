// The fake OpenAI-compatible server in its own process, answering every call after a fixed
// delay (argv[2] ms). Tells its parent the URL; answers 'reset', 'count' and 'times' over IPC
// ('times': when the first and last chat requests arrived, epoch ms).
import { reply, startFakeOpenAi } from '../tests/helpers/fake-openai-server.ts';

const behaviour = reply.slow(Number(process.argv[2] ?? 300));
const fake = await startFakeOpenAi({ defaultBehaviour: behaviour });
process.on('message', (command) => {
  if (command === 'reset') fake.reset();
  const requests = fake.chatRequests();
  process.send?.({ count: requests.length, first: requests[0]?.at ?? null, last: requests.at(-1)?.at ?? null });
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
process.send?.({ url: fake.url });
