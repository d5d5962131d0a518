#!/usr/bin/env node
console.log('cnmcp: under construction');
