import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';

// Placeholder until the clock page lands.
mount(<SignedInPage active="clock">{() => <h1>Clock</h1>}</SignedInPage>);
