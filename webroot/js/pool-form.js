// Pure helpers of the Worker pools form: what each cloud asks for, and the typed values turned into the
// body of POST /v2/worker-pools with a message per field a person can act on.

/** Per provider: credential fields, how the subnet is called and whether subnet and groups are required. */
export const PROVIDERS = {
  digitalocean: {
    label: 'DigitalOcean', credentials: [['token', 'API token']], network: null,
    region: 'nyc3', image: 'ubuntu-24-04-x64', type: 's-4vcpu-8gb cpus=4 memory=8',
  },
  aws: {
    label: 'AWS EC2', credentials: [['access_key_id', 'Access key ID'], ['secret_access_key', 'Secret access key']],
    network: { subnet: 'Subnet', subnetExample: 'subnet-0123456789abcdef0', required: false },
    region: 'us-east-1', image: 'ami-0123456789abcdef0', type: 'g6.xlarge gpus=1 gpu_memory=24 vendor=nvidia memory=16 cpus=4',
  },
  aliyun: {
    label: 'Alibaba Cloud ECS', credentials: [['access_key_id', 'AccessKey ID'], ['access_key_secret', 'AccessKey secret']],
    network: { subnet: 'vSwitch', subnetExample: 'vsw-bp1s5fnvk4gn2tws03624', required: true },
    region: 'cn-hangzhou', image: 'ubuntu_22_04_x64_20G_alibase_20241224.vhd',
    type: 'ecs.gn7i-c8g1.2xlarge gpus=1 gpu_memory=24 vendor=nvidia memory=30 cpus=8',
  },
};

const TYPE_KEYS = { gpus: 'devices', gpu_memory: 'device_memory_gib', vendor: 'device_vendor', memory: 'memory_gib', cpus: 'cpus' };

/** One instance type per line: "name key=value …" with gpus, gpu_memory (GiB), vendor, memory (GiB), cpus. */
export function parseTypes(text) {
  const types = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [name, ...pairs] = line.split(/\s+/);
    const type = { name };
    for (const pair of pairs) {
      const [key, value] = pair.split('=');
      if (!TYPE_KEYS[key] || value === undefined || value === '') {
        throw new Error(`"${pair}" in "${line}": use gpus=, gpu_memory=, vendor=, memory= or cpus=`);
      }
      type[TYPE_KEYS[key]] = key === 'vendor' ? value : Number(value);
      if (key !== 'vendor' && !Number.isFinite(type[TYPE_KEYS[key]])) throw new Error(`"${pair}" in "${line}" is not a number`);
    }
    types.push(type);
  }
  return types;
}

/** {body, errors}: errors maps field names to messages; body is null when there is any. */
export function poolBody(values) {
  const provider = PROVIDERS[values.provider];
  const errors = {};
  const text = (key) => (values[key] ?? '').trim();
  if (!/^[a-z][a-z0-9-]{0,29}$/.test(text('name'))) errors.name = '1 to 30 lowercase letters, digits or "-", starting with a letter.';
  if (!provider) errors.provider = 'Choose a cloud.';
  if (!text('region')) errors.region = 'The region new instances are created in.';
  if (!text('image')) errors.image = 'The image (AMI, ECS image id, DigitalOcean slug) that has Gantry installed.';
  let types = [];
  try {
    types = parseTypes(values.instance_types ?? '');
    if (!types.length) errors.instance_types = 'At least one instance type, best first.';
  } catch (e) {
    errors.instance_types = e.message;
  }
  const credentials = {};
  for (const [key, label] of provider?.credentials ?? []) {
    if (!text(`credentials.${key}`)) errors[`credentials.${key}`] = `${label} is required.`;
    credentials[key] = text(`credentials.${key}`);
  }
  const groups = text('security_group_ids').split(',').map((g) => g.trim()).filter(Boolean);
  if (provider?.network?.required && !text('subnet_id')) errors.subnet_id = `The ${provider.network.subnet} (${provider.network.subnetExample}).`;
  if (provider?.network?.required && !groups.length) errors.security_group_ids = 'At least one security group (sg-…).';
  const min = Number(text('min_nodes') || 0);
  const max = Number(text('max_nodes') || 1);
  if (min > max) errors.min_nodes = `Min (${min}) is above max (${max}).`;
  if (Object.keys(errors).length) return { body: null, errors };
  const body = { name: text('name'), provider: values.provider, region: text('region'), image: text('image'),
    instance_types: types, credentials, min_nodes: min, max_nodes: max };
  for (const key of ['zone', 'endpoint']) if (text(key)) body[key] = text(key);
  if (provider.network && text('subnet_id')) body.subnet_id = text('subnet_id');
  if (provider.network && groups.length) body.security_group_ids = groups;
  if (text('idle_timeout')) body.idle_timeout = Number(text('idle_timeout'));
  return { body, errors };
}
