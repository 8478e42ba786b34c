import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTypes, poolBody } from './pool-form.js';

const aliyun = {
  name: 'gpu-hz', provider: 'aliyun', region: 'cn-hangzhou', zone: 'cn-hangzhou-i', image: 'ubuntu_22_04.vhd',
  instance_types: 'ecs.gn7i-c8g1.2xlarge gpus=1 gpu_memory=24 vendor=nvidia\necs.gn6i-c4g1.xlarge gpus=1 gpu_memory=16',
  'credentials.access_key_id': 'LTAI5t', 'credentials.access_key_secret': 's3cret',
  subnet_id: 'vsw-bp1s5fnvk4gn2tws03624', security_group_ids: 'sg-bp15ed6xe1yxeycg7o8c, sg-bp1fg655nh68xyz9i5kd',
  min_nodes: '0', max_nodes: '2',
};

test('an Alibaba Cloud pool carries its vSwitch, groups and AccessKey pair', () => {
  const { body, errors } = poolBody(aliyun);
  assert.deepEqual(errors, {});
  assert.equal(body.subnet_id, 'vsw-bp1s5fnvk4gn2tws03624');
  assert.deepEqual(body.security_group_ids, ['sg-bp15ed6xe1yxeycg7o8c', 'sg-bp1fg655nh68xyz9i5kd']);
  assert.deepEqual(body.credentials, { access_key_id: 'LTAI5t', access_key_secret: 's3cret' });
  assert.deepEqual(body.instance_types[0], { name: 'ecs.gn7i-c8g1.2xlarge', devices: 1, device_memory_gib: 24, device_vendor: 'nvidia' });
  assert.equal(body.zone, 'cn-hangzhou-i');
});

test('Alibaba Cloud needs a vSwitch and a group; AWS does not; DigitalOcean drops them', () => {
  const { errors } = poolBody({ ...aliyun, subnet_id: '', security_group_ids: '' });
  assert.match(errors.subnet_id, /vSwitch/);
  assert.match(errors.security_group_ids, /security group/);
  const aws = poolBody({ ...aliyun, provider: 'aws', 'credentials.secret_access_key': 'x', subnet_id: '', security_group_ids: '' });
  assert.deepEqual(aws.errors, {});
  assert.equal(aws.body.subnet_id, undefined);
  const digitalocean = poolBody({ ...aliyun, provider: 'digitalocean', 'credentials.token': 't' });
  assert.equal(digitalocean.body.subnet_id, undefined);
  assert.deepEqual(digitalocean.body.credentials, { token: 't' });
});

test('missing credentials, bad types and min above max are named per field', () => {
  const { body, errors } = poolBody({ ...aliyun, 'credentials.access_key_secret': '', min_nodes: '3', instance_types: 'x gpu=1' });
  assert.equal(body, null);
  assert.match(errors['credentials.access_key_secret'], /AccessKey secret is required/);
  assert.match(errors.min_nodes, /above max/);
  assert.match(errors.instance_types, /use gpus=/);
  assert.throws(() => parseTypes('t cpus=four'), /not a number/);
});
