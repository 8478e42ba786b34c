// The "New worker pool" form of the Worker pools page: the cloud chosen first decides the credential
// fields and the network fields (AWS: optional subnet and security groups; Alibaba Cloud: the vSwitch and at
// least one security group, which ECS requires; DigitalOcean: none). Checks and the body are pool-form.js's.

import { busy, field, h, showFieldErrors, toast } from '../dom.js';
import { post } from '../api.js';
import { PROVIDERS, poolBody } from '../pool-form.js';

export function poolForm(onCreated) {
  const input = (name, attrs = {}) => h('input', { name, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const provider = h('select', { name: 'provider', 'data-test': 'pool-provider' },
    Object.entries(PROVIDERS).map(([key, p]) => h('option', { value: key }, p.label)));
  const controls = {
    name: input('name', { placeholder: 'gpu-pool' }), region: input('region'), zone: input('zone'), image: input('image'),
    subnet_id: input('subnet_id'), security_group_ids: input('security_group_ids', { placeholder: 'sg-…, sg-…' }),
    instance_types: h('textarea', { name: 'instance_types', rows: '3', spellcheck: 'false' }),
    min_nodes: input('min_nodes', { type: 'number', min: '0', placeholder: '0' }),
    max_nodes: input('max_nodes', { type: 'number', min: '0', placeholder: '1' }),
    idle_timeout: input('idle_timeout', { type: 'number', min: '1', placeholder: '600' }),
    endpoint: input('endpoint', { placeholder: 'default: the provider\'s public API' }),
  };
  // field-group (display: contents) lets the provider's fields flow in the form's own grid
  const credentialBox = h('div', { class: 'field-group' });
  const networkBox = h('div', { class: 'field-group', 'data-test': 'pool-network' });
  const credentialInputs = {};
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'create-pool' }, 'Create pool');

  function showProvider() {
    const p = PROVIDERS[provider.value];
    controls.region.placeholder = p.region;
    controls.image.placeholder = p.image;
    controls.instance_types.placeholder = p.type;
    for (const key of Object.keys(credentialInputs)) delete credentialInputs[key];
    credentialBox.replaceChildren(...p.credentials.map(([key, label]) => {
      credentialInputs[key] = input(`credentials.${key}`, { type: key === 'access_key_id' ? 'text' : 'password' });
      return field(label, credentialInputs[key], key === 'access_key_id' ? '' : 'Stored encrypted, never shown again.');
    }));
    controls.subnet_id.placeholder = p.network?.subnetExample ?? '';
    networkBox.replaceChildren(...(p.network ? [
      field(`${p.network.subnet}${p.network.required ? '' : ' (optional)'}`, controls.subnet_id,
        p.network.required ? 'ECS creates instances in a VPC only; the vSwitch also fixes the zone.' : 'Default: the default VPC\'s.'),
      field(`Security groups${p.network.required ? '' : ' (optional)'}`, controls.security_group_ids, 'Comma-separated.')] : []));
  }
  provider.addEventListener('change', showProvider);

  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'pool-form', onsubmit: async (e) => {
    e.preventDefault();
    const values = { provider: provider.value };
    for (const [key, control] of Object.entries(controls)) values[key] = control.value;
    for (const [key, control] of Object.entries(credentialInputs)) values[`credentials.${key}`] = control.value;
    const { body, errors } = poolBody(values);
    showFieldErrors(form, errors);
    if (!body) return;
    const created = await busy(submit, () => post('/v2/worker-pools', body), error);
    if (!created) return;
    form.reset();
    showProvider();
    toast(`Created pool ${created.name}`);
    onCreated();
  } },
  h('h2', {}, 'New worker pool'),
  field('Name', controls.name), field('Cloud', provider), credentialBox,
  field('Region', controls.region), field('Zone (optional)', controls.zone), field('Image', controls.image), networkBox,
  field('Instance types', controls.instance_types, 'One per line, best first: name gpus=1 gpu_memory=24 vendor=nvidia memory=30 cpus=8. '
    + 'The next line is tried when a type is out of stock.'),
  field('Min nodes', controls.min_nodes), field('Max nodes', controls.max_nodes),
  field('Idle timeout (s)', controls.idle_timeout), field('API endpoint (optional)', controls.endpoint),
  h('div', { class: 'form-actions' }, error, submit));
  showProvider();
  return form;
}
